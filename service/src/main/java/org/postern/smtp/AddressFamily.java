package org.postern.smtp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** The sendmail {@code Family} key of DaemonPortOptions and ClientPortOptions: {@code inet} or {@code inet6}. */
public enum AddressFamily {
    INET("inet", "0.0.0.0"),
    INET6("inet6", "::");

    private final String sendmailName;
    private final String anyAddress;

    AddressFamily(String sendmailName, String anyAddress) {
        this.sendmailName = sendmailName;
        this.anyAddress = anyAddress;
    }

    /** The name as written in sendmail.cf and in Postern's properties. */
    public String sendmailName() {
        return sendmailName;
    }

    /** The wildcard address of the family: sendmail's default when Addr is not given. */
    public String anyAddress() {
        return anyAddress;
    }

    public boolean matches(InetAddress address) {
        return this == INET ? address instanceof Inet4Address : address instanceof Inet6Address;
    }

    public static AddressFamily of(InetAddress address) {
        return address instanceof Inet6Address ? INET6 : INET;
    }
}
