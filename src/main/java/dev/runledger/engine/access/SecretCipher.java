package dev.runledger.engine.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secret values at rest: AES-256-GCM with a random 96-bit nonce per value; the project and
 * name are authenticated data, so a value copied to another row does not decrypt. Stored as {@code
 * aesgcm:v1:<base64 of nonce || ciphertext || tag>}.
 */
public final class SecretCipher {
  static final String PREFIX = "aesgcm:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  /**
   * @param key 32 bytes
   */
  public SecretCipher(byte[] key) {
    if (key == null || key.length != 32) {
      throw new IllegalArgumentException("the secret key must be 32 bytes (AES-256)");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  public String encrypt(String project, String name, String value) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(project, name));
      byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt secret " + name, e);
    }
  }

  /**
   * @throws IllegalStateException when the value was encrypted under another key or altered
   */
  public String decrypt(String project, String name, String stored) {
    if (!isEncrypted(stored)) {
      return stored;
    }
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(aad(project, name));
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "secret "
              + name
              + " in project "
              + project
              + " does not decrypt: was it stored under another RUNLEDGER_SECRET_KEY?",
          e);
    }
  }

  public static boolean isEncrypted(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  private static byte[] aad(String project, String name) {
    return (project + "\u0000" + name).getBytes(StandardCharsets.UTF_8);
  }
}
