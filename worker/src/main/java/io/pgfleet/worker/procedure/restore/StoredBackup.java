package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.ArtifactSelector;
import io.pgfleet.commands.Printable;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.archive.RowHash;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.storage.ArtifactKeys;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A complete logical backup of a target, found from a command's {@code artifact}: its dump object
 * and its manifest. An artifact without a manifest is incomplete and is refused here, before
 * anything downloads or touches a database.
 */
public record StoredBackup(String key, String uri, String manifestKey, Manifest manifest) {
  private static final java.util.regex.Pattern FILE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  /** Resolves {@code latest} (through the catalog) or an s3 URI of the target's own backups. */
  public static StoredBackup resolve(
      Artifacts store, BackupCatalog catalog, String target, String selector)
      throws ProcedureFailure {
    String uri = selector;
    if (ArtifactSelector.LATEST.equals(selector)) {
      uri =
          catalog
              .latest(target, "logical")
              .orElseThrow(
                  () ->
                      new ProcedureFailure(
                          ErrorCode.ARTIFACT_NOT_FOUND,
                          "the catalog has no backup of "
                              + target
                              + " yet: run a backup first, or name an artifact by its s3 URI"))
              .uri();
    }
    String key =
        store
            .keys()
            .logicalDumpKey(uri, store.bucket(), target)
            .orElseThrow(
                () ->
                    new ProcedureFailure(
                        ErrorCode.ARTIFACT_NOT_FOUND,
                        Printable.quote(selector)
                            + " is not a backup of "
                            + target
                            + ": artifacts are s3://"
                            + store.bucket()
                            + "/"
                            + store.keys().logicalPrefix(target)
                            + "....dump"));
    try {
      boolean directory = ArtifactKeys.isDirectory(key);
      String manifestKey = ArtifactKeys.manifestOf(key);
      // a directory is a prefix, not an object: its manifest tells whether it exists
      if (store.size(directory ? manifestKey : key) < 0
          && (!directory || store.size(key + "toc.dat") < 0)) {
        throw new ProcedureFailure(
            ErrorCode.ARTIFACT_NOT_FOUND, "no object at " + uri + ": it was deleted or never made");
      }
      if (store.size(manifestKey) < 0) {
        throw new ProcedureFailure(
            ErrorCode.INTEGRITY_FAILED,
            "incomplete artifact "
                + uri
                + ": it has no manifest, so it is not a complete backup; refused");
      }
      Manifest manifest;
      try (InputStream in = store.read(manifestKey)) {
        com.fasterxml.jackson.databind.JsonNode tree = Json.mapper().readTree(in);
        int version = tree.path("manifestVersion").asInt(0);
        if (version > Manifest.VERSION) { // its new fields would read as a broken manifest
          throw new ProcedureFailure(
              ErrorCode.INTEGRITY_FAILED,
              "the manifest of "
                  + uri
                  + " is version "
                  + version
                  + ", written by a newer pgfleet; this worker reads up to version "
                  + Manifest.VERSION
                  + ": upgrade it");
        }
        manifest = Json.mapper().treeToValue(tree, Manifest.class);
        requireKnownRowHash(uri, manifest);
      } catch (IOException e) {
        throw new ProcedureFailure(
            ErrorCode.INTEGRITY_FAILED,
            "the manifest of " + uri + " cannot be read: " + e.getMessage() + "; refused",
            e);
      }
      if (!target.equals(manifest.target()) || !key.equals(manifest.artifact().key())) {
        throw new ProcedureFailure(
            ErrorCode.INTEGRITY_FAILED,
            "the manifest of " + uri + " describes another artifact; refused");
      }
      if (directory) {
        requireFileList(uri, manifest);
      }
      return new StoredBackup(key, uri, manifestKey, manifest);
    } catch (StorageException e) {
      throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, e.getMessage(), e);
    }
  }

  /** A manifest whose rows are summed by a hash this worker lacks cannot prove its content. */
  private static void requireKnownRowHash(String uri, Manifest manifest) throws ProcedureFailure {
    String rowHash = manifest.archive() == null ? null : manifest.archive().rowHash();
    if (RowHash.named(rowHash).isEmpty()) {
      throw new ProcedureFailure(
          ErrorCode.INTEGRITY_FAILED,
          "the manifest of "
              + uri
              + " sums its tables' rows with "
              + Printable.quote(rowHash)
              + ", which this worker does not know: its content could not be proved; upgrade the"
              + " worker");
    }
  }

  /**
   * A directory dump's manifest must list its files under plain names (they become local file
   * names) and agree with its own listing checksum.
   */
  private static void requireFileList(String uri, Manifest manifest) throws ProcedureFailure {
    boolean namesOk =
        manifest.files() != null
            && !manifest.files().isEmpty()
            && manifest.files().stream().allMatch(f -> FILE_NAME.matcher(f.name()).matches());
    if (!namesOk
        || !Manifest.listingSha256(manifest.files()).equals(manifest.artifact().sha256())) {
      throw new ProcedureFailure(
          ErrorCode.INTEGRITY_FAILED,
          "the manifest of "
              + uri
              + " does not list the directory's files consistently (missing, oddly named, or"
              + " not matching its sha256); refused");
    }
  }

  public boolean encrypted() {
    return manifest.encryption() != null;
  }

  /** Fails unless this worker holds the key the backup was encrypted with. */
  public void requireKey(EncryptionKeys keys) throws ProcedureFailure {
    if (encrypted() && keys.key(manifest.encryption().keyId()).isEmpty()) {
      throw new ProcedureFailure(
          ErrorCode.ENCRYPTION_KEY_UNAVAILABLE,
          uri
              + " is encrypted with key '"
              + manifest.encryption().keyId()
              + "', which this worker does not have: add it to encryption.keys in the worker"
              + " config");
    }
  }
}
