package dev.basalt.types;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import java.util.List;
import java.util.Objects;

/**
 * Everything the generic key commands need to know of one data type, declared once in the type's own
 * class and registered with {@link DataTypes#register}: its Kvrocks type code, the name TYPE answers,
 * its metadata layout (a record class and how to read it), the column families holding its subkeys
 * (what DEL reclaims and COPY copies), whether it exists with no elements, and its OBJECT ENCODING.
 */
public final class DataType<M extends Metadata> {
    /** Reads a value's own fields after the shared header. */
    @FunctionalInterface
    public interface Layout<M> {
        M read(MetadataFormat.Reader in);
    }

    /** OBJECT ENCODING of a live value: what Redis 7.0 would use for it with its default thresholds. */
    @FunctionalInterface
    public interface ObjectEncoding<M> {
        String of(Txn txn, byte[] key, M metadata) throws StorageException;
    }

    private final int code;
    private final String name;
    private final Class<M> metadataClass;
    private final Layout<M> layout;
    private final List<ColumnFamily> subkeyFamilies;
    private final boolean emptyable;
    private final ObjectEncoding<M> objectEncoding;

    private DataType(Builder<M> b) {
        this.code = b.code;
        this.name = b.name;
        this.metadataClass = b.metadataClass;
        this.layout = Objects.requireNonNull(b.layout, "layout");
        this.subkeyFamilies = b.subkeyFamilies;
        this.emptyable = b.emptyable;
        this.objectEncoding = Objects.requireNonNull(b.objectEncoding, "objectEncoding");
    }

    /** Starts declaring a type: its code (low 4 bits of the metadata flags), TYPE's answer and its metadata record. */
    public static <M extends Metadata> Builder<M> define(int code, String name, Class<M> metadataClass) {
        return new Builder<>(code, name, metadataClass);
    }

    public int code() {
        return code;
    }

    /** What TYPE answers and SCAN TYPE matches. */
    public String name() {
        return name;
    }

    public Class<M> metadataClass() {
        return metadataClass;
    }

    /** The column families holding this type's subkeys, all under {@link dev.basalt.storage.KeyCodec#subkeyPrefix}. */
    public List<ColumnFamily> subkeyFamilies() {
        return subkeyFamilies;
    }

    /** True when a value of this type exists even with no elements (Kvrocks's IsEmptyableType). */
    public boolean emptyable() {
        return emptyable;
    }

    M decode(MetadataFormat.Reader in) {
        return layout.read(in);
    }

    /** OBJECT ENCODING of m, a live value of this type at key. */
    public String objectEncoding(Txn txn, byte[] key, Metadata m) throws StorageException {
        return objectEncoding.of(txn, key, metadataClass.cast(m));
    }

    @Override
    public String toString() {
        return name + "(" + code + ")";
    }

    /** Collects a type's declaration; {@link #build} checks it is complete. */
    public static final class Builder<M extends Metadata> {
        private final int code;
        private final String name;
        private final Class<M> metadataClass;
        private Layout<M> layout;
        private List<ColumnFamily> subkeyFamilies = List.of();
        private boolean emptyable;
        private ObjectEncoding<M> objectEncoding;

        private Builder(int code, String name, Class<M> metadataClass) {
            if (code < 1 || code > 15) {
                throw new IllegalArgumentException("type codes are 1 to 15 (4 bits), not " + code);
            }
            this.code = code;
            this.name = name;
            this.metadataClass = metadataClass;
        }

        public Builder<M> layout(Layout<M> layout) {
            this.layout = layout;
            return this;
        }

        /** The column families its subkeys live in (none for a value stored whole in its metadata). */
        public Builder<M> subkeysIn(ColumnFamily... families) {
            this.subkeyFamilies = List.of(families);
            return this;
        }

        /** A value of this type still exists with no elements. */
        public Builder<M> mayBeEmpty() {
            this.emptyable = true;
            return this;
        }

        public Builder<M> objectEncoding(ObjectEncoding<M> encoding) {
            this.objectEncoding = encoding;
            return this;
        }

        /** Every value of this type has the same OBJECT ENCODING. */
        public Builder<M> objectEncoding(String encoding) {
            return objectEncoding((txn, key, m) -> encoding);
        }

        public DataType<M> build() {
            return new DataType<>(this);
        }
    }
}
