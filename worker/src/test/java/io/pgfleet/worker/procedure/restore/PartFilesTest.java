package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crashed drill's decoded archive is swept when the next drill starts; one a live drill holds, in
 * this worker or another process, is not.
 */
class PartFilesTest {
  @TempDir Path dir;

  @Test
  void an_old_unlocked_decoded_archive_is_swept_and_held_or_young_or_other_files_are_kept()
      throws Exception {
    Path stale = old(Files.createFile(dir.resolve("pgfleet-decoded-1.part")));
    Path young = Files.createFile(dir.resolve("pgfleet-decoded-2.part"));
    Path other = old(Files.createFile(dir.resolve("pgfleet-backup-3.part")));
    Path lockedElsewhere = old(Files.createFile(dir.resolve("pgfleet-decoded-4.part")));
    Process holder = lockInAnotherProcess(lockedElsewhere);
    try (PartFiles.Held ours = PartFiles.create(dir)) {
      // by another process: the JVM sets times through a descriptor, whose close drops the lock
      Process touch =
          new ProcessBuilder("touch", "-d", "1 hour ago", ours.path().toString()).start();
      assertThat(touch.waitFor()).isZero();

      assertThat(PartFileSweep.sweep(dir)).isEqualTo(1);

      assertThat(stale).doesNotExist();
      assertThat(young).exists();
      assertThat(other).exists();
      assertThat(lockedElsewhere).exists();
      assertThat(ours.path()).exists();
      // the sweep did not drop this worker's lock: another process still cannot take it
      assertThat(canLockFromAnotherProcess(ours.path())).isFalse();
    } finally {
      holder.destroy();
      holder.waitFor();
    }
    // its holder gone (a crash), the other process's file is swept too
    assertThat(PartFileSweep.sweep(dir)).isEqualTo(1);
    assertThat(lockedElsewhere).doesNotExist();
  }

  @Test
  void a_download_is_swept_only_once_untouched_for_longer_than_a_restore_reads_it()
      throws Exception {
    // BackupReader.download and StoredRanges.download create these without a lock
    Path live = old(BackupReader.privateFile(dir));
    Path crashed = BackupReader.privateFile(dir);
    Files.setLastModifiedTime(
        crashed,
        FileTime.from(Instant.now().minus(PartFileSweep.DOWNLOAD_MIN_AGE).minusSeconds(60)));
    Path decoded = old(Files.createFile(dir.resolve("pgfleet-decoded-5.part")));

    assertThat(live.getFileName().toString()).startsWith("pgfleet-restore-");
    assertThat(PartFileSweep.sweep(dir)).isEqualTo(2);
    assertThat(live).exists();
    assertThat(crashed).doesNotExist();
    assertThat(decoded).doesNotExist();
  }

  @Test
  void a_decoded_archive_has_its_own_prefix() throws Exception {
    try (PartFiles.Held held = PartFiles.create(dir)) {
      assertThat(held.path().getFileName().toString())
          .startsWith("pgfleet-decoded-")
          .endsWith(".part");
    }
  }

  @Test
  void a_held_file_is_private_and_gone_once_closed() throws Exception {
    PartFiles.Held held = PartFiles.create(dir);
    assertThat(Files.getPosixFilePermissions(held.path()))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    held.close();
    assertThat(held.path()).doesNotExist();
  }

  private static Path old(Path file) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
    return file;
  }

  /** python's fcntl.lockf takes the same kind of lock (fcntl) as the JVM's FileChannel.lock. */
  private static Process lockInAnotherProcess(Path file) throws Exception {
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import fcntl,sys,time\n"
                    + "f=open(sys.argv[1],'r+')\n"
                    + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                    + "print('locked', flush=True)\n"
                    + "time.sleep(120)\n",
                file.toString())
            .start();
    String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
    assertThat(line).isEqualTo("locked");
    return p;
  }

  private static boolean canLockFromAnotherProcess(Path file) throws Exception {
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import fcntl,sys\n"
                    + "f=open(sys.argv[1],'r+')\n"
                    + "try:\n"
                    + "  fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print('yes')\n"
                    + "except OSError:\n"
                    + "  print('no')\n",
                file.toString())
            .start();
    String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
    p.waitFor();
    return "yes".equals(line);
  }
}
