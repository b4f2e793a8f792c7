package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import dev.basalt.util.Bytes;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A type added the way every type is added (its own file, {@link TagType}, and one registration) is
 * served by the generic commands over a real connection: TYPE, SCAN TYPE, OBJECT ENCODING, EXPIRE,
 * COPY, RENAME and DEL, with its own metadata field and its subkeys carried along or reclaimed.
 */
@Timeout(60)
class FakeTypeTest {
    private static TestServer server;
    private static Storage storage;

    @BeforeAll
    static void registerAndStart() {
        DataTypes.register(TagType.TYPE);
        server = TestServer.start();
        storage = server.server().storage();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    private interface Work<T> {
        T run(TagType tags) throws Exception;
    }

    private static <T> T inTxn(Work<T> work) throws Exception {
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            T result = work.run(new TagType(t));
            storage.commit(t);
            return result;
        }
    }

    private static List<String> tagsOf(String key) throws Exception {
        return inTxn(t -> t.tags(b(key))).stream().map(Bytes::str).toList();
    }

    private static TagType.TagMetadata metadataOf(String key) throws Exception {
        return inTxn(t -> t.metadata(b(key)));
    }

    @Test
    void genericCommandsServeANewType() throws Exception {
        inTxn(t -> {
            t.add(b("t1"), List.of(b("red"), b("blue")));
            return null;
        });
        TagType.TagMetadata created = metadataOf("t1");
        try (RawClient c = server.raw()) {
            c.call("SET", "s", "v");
            assertEquals("+tags\r\n", c.call("TYPE", "t1"));
            assertEquals("$6\r\ntagbag\r\n", c.call("OBJECT", "ENCODING", "t1"));
            assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$2\r\nt1\r\n", c.call("SCAN", "0", "TYPE", "tags"));
            assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$1\r\ns\r\n", c.call("SCAN", "0", "TYPE", "string"));

            assertEquals(":1\r\n", c.call("EXPIRE", "t1", "1000"));
            String ttl = c.call("TTL", "t1");
            assertTrue(ttl.equals(":1000\r\n") || ttl.equals(":999\r\n"), ttl);
            assertEquals(created.createdAtMs(), metadataOf("t1").createdAtMs(), "its own field survives EXPIRE");

            assertEquals(":1\r\n", c.call("COPY", "t1", "t2"));
            assertEquals("+tags\r\n", c.call("TYPE", "t2"));
            assertEquals(List.of("blue", "red"), tagsOf("t2"));
            assertNotEquals(created.version(), metadataOf("t2").version(), "a copy gets its own version");

            assertEquals("+OK\r\n", c.call("RENAME", "t1", "t3"));
            assertEquals("+none\r\n", c.call("TYPE", "t1"));
            assertEquals("+tags\r\n", c.call("TYPE", "t3"));
            assertEquals(List.of("blue", "red"), tagsOf("t3"));
            TagType.TagMetadata renamed = metadataOf("t3");
            assertEquals(created.createdAtMs(), renamed.createdAtMs());
            assertTrue(renamed.hasExpiry(), "RENAME keeps the expiry");

            assertEquals(":2\r\n", c.call("DEL", "t2", "t3", "t1"));
            assertEquals(":0\r\n", c.call("EXISTS", "t2", "t3"));
        }
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT), "every tag reclaimed");
    }

    @Test
    void aTakenTypeCodeIsRefused() {
        DataTypes.register(TagType.TYPE); // the same type again changes nothing
        DataType<TagType.TagMetadata> imposter = DataType.define(TagType.TYPE.code(), "imposter", TagType.TagMetadata.class)
                .layout(TagType.TagMetadata::read).objectEncoding("raw").build();
        assertThrows(IllegalArgumentException.class, () -> DataTypes.register(imposter));
        assertThrows(IllegalArgumentException.class, () -> DataTypes.register(
                DataType.define(HashType.TYPE.code(), "hash", CollectionMetadata.class)
                        .layout(CollectionMetadata::read).objectEncoding("raw").build()));
    }
}
