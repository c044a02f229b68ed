package io.pgfleet.bench;

import java.util.Arrays;
import java.util.List;

/** Measurements of one quantity: their median, extremes and percentiles. */
public record Samples(double[] sorted) {
  public Samples {
    sorted = sorted.clone();
    Arrays.sort(sorted);
  }

  public static Samples of(List<? extends Number> values) {
    return new Samples(values.stream().mapToDouble(Number::doubleValue).toArray());
  }

  public static Samples of(long[] values, int count) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = values[i];
    }
    return new Samples(out);
  }

  public boolean isEmpty() {
    return sorted.length == 0;
  }

  public int size() {
    return sorted.length;
  }

  /** The middle value, or the mean of the two middle values of an even count. */
  public double median() {
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  public double min() {
    return sorted.length == 0 ? Double.NaN : sorted[0];
  }

  public double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }

  /** Nearest-rank percentile; NaN when there is no sample. */
  public double percentile(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
