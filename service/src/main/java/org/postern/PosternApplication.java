package org.postern;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Postern: an outbound mail relay. Accepts mail from trusted clients over SMTP into a durable spool. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PosternApplication {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(org.postern.sendmailcf.ImportSendmailCommand.NAME)) {
            System.exit(org.postern.sendmailcf.ImportSendmailCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(PosternApplication.class, args);
    }
}
