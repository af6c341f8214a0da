package workshop.graders.schemas;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * The bytes a registry-aware serializer writes: a magic byte 0, the schema id in 4 bytes
 * (big-endian), then the record in Avro's binary encoding. Nothing here depends on which
 * serializer wrote them.
 */
final class WireFormat {

    private WireFormat() {
    }

    /** The schema id of a value in the registry's wire format, or empty when the value is not in it. */
    static OptionalInt schemaId(byte[] value) {
        if (value == null || value.length < 5 || value[0] != 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(ByteBuffer.wrap(value, 1, 4).getInt());
    }

    /**
     * Decodes the Avro part of a value (after the 5-byte header) with the schema it was written
     * with, and, if given, resolves it to a reader's schema.
     *
     * @throws IOException when the bytes are not a record of that schema, or are left over
     */
    static GenericRecord decode(byte[] value, Schema writer, Schema reader) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
        GenericRecord record = new GenericDatumReader<GenericRecord>(writer, reader == null ? writer : reader).read(null, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("bytes are left over after the record");
        }
        return record;
    }

    /** A record in the registry's wire format, as a registry-aware serializer writes it. */
    static byte[] encode(int id, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first bytes of a value, in hex and as text, for a report. */
    static String describeBytes(byte[] value) {
        if (value == null) {
            return "null";
        }
        int shown = Math.min(value.length, 12);
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            hex.append(String.format("%02x ", value[i]));
        }
        String text = new String(value, 0, Math.min(value.length, 40), StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}\\uFFFD]", ".");
        return value.length + " bytes: " + hex.toString().trim() + (value.length > shown ? " ..." : "") + " (as text: \"" + text
                + (value.length > 40 ? "..." : "") + "\")";
    }

}
