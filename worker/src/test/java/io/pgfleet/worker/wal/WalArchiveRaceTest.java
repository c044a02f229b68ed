package io.pgfleet.worker.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.LocalStores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push looks the name up while it hashes and compresses, then PUTs with {@code If-None-Match:
 * *}: a file another server archives between the lookup and the PUT (injected here right after the
 * real lookup, against S3Proxy) is never replaced, and is judged like one found by the lookup.
 */
class WalArchiveRaceTest {
  private static ArtifactStore store;

  @BeforeAll
  static void connect() {
    store = LocalStores.onNewBucket("walrace");
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void the_store_refuses_a_conditional_put_over_an_existing_object_and_keeps_the_first() {
    String key = "conditional/" + UUID.randomUUID();
    assertThat(store.putIfAbsent(key, new byte[] {1}, "a/b", Map.of("v", "first"))).isTrue();

    assertThat(store.putIfAbsent(key, new byte[] {2}, "a/b", Map.of("v", "second"))).isFalse();

    assertThat(store.metadata(key).orElseThrow()).containsEntry("v", "first");
  }

  @Test
  void different_content_archived_after_the_lookup_is_a_conflict_and_stays_archived(
      @TempDir Path dir) throws Exception {
    Path theirs = segment(dir.resolve("theirs"), 1);
    Path ours = segment(dir.resolve("ours"), 2);
    WalArchive archive = new WalArchive(archivedAfterLookup(theirs, "race1"), "race1");

    assertThatThrownBy(() -> archive.push(ours))
        .isInstanceOf(WalConflictException.class)
        .hasMessageContaining("already archived with different content");

    Path fetched = dir.resolve("fetched");
    assertThat(new WalArchive(store, "race1").fetch(name(), fetched)).isTrue();
    assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(theirs));
  }

  @Test
  void the_same_content_archived_after_the_lookup_counts_as_already_archived(@TempDir Path dir)
      throws Exception {
    Path same = segment(dir.resolve("same"), 3);
    WalArchive archive = new WalArchive(archivedAfterLookup(same, "race2"), "race2");

    assertThat(archive.push(same)).isEqualTo(WalArchive.Pushed.ALREADY_ARCHIVED);
  }

  /**
   * The real store, where {@code file} gets archived by "another server" right after the lookup.
   */
  private static Artifacts archivedAfterLookup(Path file, String target) {
    AtomicBoolean done = new AtomicBoolean();
    return (Artifacts)
        Proxy.newProxyInstance(
            Artifacts.class.getClassLoader(),
            new Class<?>[] {Artifacts.class},
            (proxy, method, args) -> {
              try {
                Object result = method.invoke(store, args);
                if (method.getName().equals("metadata") && done.compareAndSet(false, true)) {
                  new WalArchive(store, target).push(file);
                }
                return result;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static WalFileName name() {
    return new WalFileName("000000010000000000000007");
  }

  private static Path segment(Path dir, int seed) throws Exception {
    byte[] content = new byte[1024 * 1024];
    new Random(seed).nextBytes(content);
    Files.createDirectories(dir);
    return Files.write(dir.resolve(name().value()), content);
  }
}
