package org.postern.config;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Lets {@code postern.mailers.<name>} be the sendmail {@code M} line itself, a plain string, instead
 * of its fields. The line is parsed (and its errors reported with the property name) when the
 * mailers are built, by {@link MailerDefinitions}.
 */
@Component
@ConfigurationPropertiesBinding
public class MailerLineConverter implements Converter<String, MailerProperties> {

    @Override
    public MailerProperties convert(String line) {
        return MailerProperties.ofLine(line);
    }
}
