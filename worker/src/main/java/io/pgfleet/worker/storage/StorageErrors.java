package io.pgfleet.worker.storage;

import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLPeerUnverifiedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/** What an operator reads when a call to the object store failed. */
public final class StorageErrors {
  static final String TIMED_OUT =
      "the object store did not answer in time (storage.timeouts): it hangs or crawls; the"
          + " request was given up and can be retried";

  private StorageErrors() {}

  static final String NOT_TRUSTED =
      "the object store's TLS certificate is not trusted: it does not chain to the JDK's"
          + " certificate authorities or to storage.caFile's (set caFile to the PEM file of the"
          + " authority that signed it), or it does not name the endpoint's host";

  /** The failure's message, saying so plainly when a storage timeout or TLS trust ended it. */
  public static String describe(Throwable e) {
    String message = String.valueOf(e.getMessage());
    if (timedOut(e)) {
      return TIMED_OUT + " (" + message + ")";
    }
    return notTrusted(e) ? NOT_TRUSTED + " (" + message + ")" : message;
  }

  /**
   * Whether the store's certificate was refused: no path to a trusted authority, or a certificate
   * for another host. Not every failed handshake (no common protocol, a client certificate
   * required, a peer that hung up): those are not a trust question.
   */
  static boolean notTrusted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLPeerUnverifiedException
          || t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException
          || t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiCallTimeoutException
          || t instanceof ApiCallAttemptTimeoutException
          || t instanceof SocketTimeoutException
          || t.getClass().getSimpleName().contains("ConnectTimeout")) {
        return true;
      }
    }
    return false;
  }
}
