package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.archive.RowHash;
import io.pgfleet.worker.storage.Manifest;
import java.util.List;

/** Manifests for tests of the restore package: a zstd custom backup of these tables, UTF8. */
final class TestManifests {
  private TestManifests() {}

  static Manifest custom(Manifest.TableCount... tables) {
    return new Manifest(
        Manifest.VERSION,
        "pg_dump",
        "t",
        "db",
        "c",
        1,
        "w",
        new Manifest.ArtifactObject("s3://b/k", "k", 1, "ab"),
        new Manifest.Dump("pg_dump", "15", "custom", "zstd", 2, null, false, null, null),
        null,
        null,
        null,
        List.of(tables),
        null,
        null,
        new Manifest.Archive("UTF8", RowHash.CURRENT.manifestName(), null, null));
  }
}
