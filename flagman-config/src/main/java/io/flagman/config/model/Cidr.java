package io.flagman.config.model;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network: an address and a prefix length. A plain address is a /32 (or /128).
 *
 * @param address the network bytes (4 or 16), already masked
 */
public record Cidr(byte[] address, int prefix) {

    public Cidr {
        address = address.clone();
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address length: " + address.length + " (expected: 4 or 16)");
        }
        if (prefix < 0 || prefix > address.length * 8) {
            throw new IllegalArgumentException("prefix: " + prefix);
        }
        mask(address, prefix);
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    /** True when {@code candidate} (4 or 16 bytes) is inside this network; IPv4-mapped IPv6 matches IPv4. */
    public boolean contains(byte[] candidate) {
        byte[] c = candidate;
        if (c.length == 16 && address.length == 4 && isV4Mapped(c)) {
            c = Arrays.copyOfRange(c, 12, 16);
        } else if (c.length == 4 && address.length == 16) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(c, 0, mapped, 12, 4);
            c = mapped;
        }
        if (c.length != address.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (c[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (c[full] & m) == (address[full] & m);
    }

    public boolean contains(InetAddress candidate) {
        return contains(candidate.getAddress());
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    }

    private static void mask(byte[] a, int prefix) {
        for (int bit = prefix; bit < a.length * 8; bit++) {
            a[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + prefix;
    }

    @Override
    public String toString() {
        try {
            String host = InetAddress.getByAddress(address).getHostAddress();
            return prefix == address.length * 8 ? host : host + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
