package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.storage.Manifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which tables a parallel pg_restore ({@code --jobs}) has finished, data and constraints, from its
 * {@code --verbose} lines and the archive's TOC ({@link TocListing}). With jobs, pg_restore prints
 * {@code finished item N KIND NAME} once a job has ended TOC entry N; a job loads a table's data as
 * one transaction (TRUNCATE, COPY, COMMIT), so by then that data is committed. A table is reported
 * once its TABLE DATA and every entry of it that takes a lock a reader's ACCESS SHARE would hold up
 * have finished: PRIMARY KEY, UNIQUE, EXCLUDE and CHECK constraints, rules, policies and row
 * security (ACCESS EXCLUSIVE). Its indexes (SHARE), foreign keys and triggers (SHARE ROW EXCLUSIVE)
 * may still be running: they do not wait for a reader, nor change what COPY TO writes. A finished
 * line that does not name its entry as the TOC does is ignored, and so is a table whose entries the
 * unquoted listing does not tell apart: pg_restore's end covers those.
 */
final class ParallelRestoreProgress implements VerboseListener {
  static final List<String> LOCKING =
      List.of("CONSTRAINT", "CHECK CONSTRAINT", "RULE", "POLICY", "ROW SECURITY");
  private static final Pattern FINISHED =
      Pattern.compile("^pg_restore: finished item (\\d+) (.*)$");

  private final Map<Integer, TocListing.Entry> toc;
  private final Map<Integer, Manifest.TableCount> owner = new HashMap<>();
  private final Map<Manifest.TableCount, Set<Integer>> pending = new HashMap<>();
  private final Consumer<String> readable;

  /**
   * @param listing what {@code pg_restore --list} printed of the archive
   * @param tables the tables to report, as the manifest names them
   * @param readable gets each table ({@code schema.table}) once its data and constraints are in
   */
  ParallelRestoreProgress(
      String listing, List<Manifest.TableCount> tables, Consumer<String> readable) {
    List<String> kinds = new ArrayList<>(LOCKING);
    kinds.add("TABLE DATA");
    this.toc = TocListing.parse(listing, kinds);
    this.readable = readable;
    Set<Manifest.TableCount> unclear = new HashSet<>();
    Set<Manifest.TableCount> loaded = new HashSet<>();
    for (TocListing.Entry entry : toc.values()) {
      Manifest.TableCount table = tableOf(entry, tables);
      if (table == null) {
        continue;
      }
      if (entry.kind().equals("TABLE DATA") && !loaded.add(table)) {
        unclear.add(table); // two data entries read as this table: names with spaces
      }
      owner.put(entry.dumpId(), table);
      pending.computeIfAbsent(table, t -> new HashSet<>()).add(entry.dumpId());
    }
    pending.keySet().removeIf(t -> unclear.contains(t) || !loaded.contains(t));
  }

  /**
   * The table an entry belongs to: for data, the table the manifest gives that dump id (or names
   * so, in an older manifest); otherwise the longest table name the entry's name begins with.
   */
  private static Manifest.TableCount tableOf(
      TocListing.Entry entry, List<Manifest.TableCount> all) {
    Manifest.TableCount found = null;
    for (Manifest.TableCount t : all) {
      boolean match =
          entry.kind().equals("TABLE DATA")
              ? t.dumpId() != null ? t.dumpId() == entry.dumpId() : entry.is(t.schema(), t.table())
              : entry.names().startsWith(t.schema() + " " + t.table() + " ")
                  || entry.is(t.schema(), t.table()); // ROW SECURITY is named as its table
      if (match && (found == null || t.table().length() > found.table().length())) {
        found = t;
      }
    }
    return found;
  }

  @Override
  public boolean line(String line) {
    if (!isProgress(line)) {
      return false;
    }
    Matcher finished = FINISHED.matcher(line);
    if (finished.matches()) {
      finished(Integer.parseInt(finished.group(1)), finished.group(2));
    }
    return true;
  }

  private void finished(int dumpId, String kindAndName) {
    TocListing.Entry entry = toc.get(dumpId);
    Manifest.TableCount table = owner.get(dumpId);
    if (entry == null || table == null || !kindAndName.startsWith(entry.kind() + " ")) {
      return;
    }
    String name = kindAndName.substring(entry.kind().length() + 1);
    Set<Integer> left = pending.get(table);
    if (left == null || !entry.is(table.schema(), name)) {
      return;
    }
    left.remove(dumpId);
    if (left.isEmpty()) {
      pending.remove(table);
      readable.accept(table.name());
    }
  }
}
