package org.postern.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.postern.smtp.IpLiteral;

/** A CIDR block, IPv4 or IPv6 ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a /32 or /128. */
public record NetworkRange(byte[] network, int prefixLength) {

    public NetworkRange {
        network = network.clone();
    }

    /** A copy: the range is immutable. */
    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Parses literal addresses only (no host names, so no DNS at startup). */
    public static NetworkRange parse(String cidr) {
        if (cidr == null || cidr.isBlank()) {
            throw new IllegalArgumentException("empty network");
        }
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        byte[] address;
        try {
            address = IpLiteral.parse(addressText).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has a bad prefix length");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + cidr + "' prefix length must be 0.." + bits);
            }
        }
        return new NetworkRange(mask(address, prefix), prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        return candidate.length == network.length && Arrays.equals(mask(candidate, prefixLength), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkRange r && r.prefixLength == prefixLength && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
