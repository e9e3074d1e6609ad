// SPDX-License-Identifier: LGPL-2.1-or-later
// ZipList - reads a ZIP file front to back with java.util.zip.ZipInputStream,
// as Java-based PACS importers do, and prints one line per entry:
// "<name>\t<bytes read>\t<CRC-32 of the bytes, 8 hex digits>".  Exits 1 when
// the stream stops early (e.g. "only DEFLATED entries can have EXT
// descriptor") or an entry's bytes do not match the CRC its header gave.
import java.io.FileInputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

public final class ZipList {
    public static void main(String[] args) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (ZipInputStream in = new ZipInputStream(new FileInputStream(args[0]))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                CRC32 crc = new CRC32();
                long total = 0;
                for (int n; (n = in.read(buf)) > 0; total += n)
                    crc.update(buf, 0, n);
                System.out.printf("%s\t%d\t%08x%n", e.getName(), total, crc.getValue());
            }
        } catch (IOException ex) {
            System.err.println("ZipList: " + ex.getMessage());
            System.exit(1);
        }
    }
}
