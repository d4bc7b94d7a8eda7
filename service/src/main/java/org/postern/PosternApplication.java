package org.postern;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Postern: an outbound mail relay. Accepts mail from trusted clients over SMTP into a durable spool. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PosternApplication {
    public static void main(String[] args) {
        SpringApplication.run(PosternApplication.class, args);
    }
}
