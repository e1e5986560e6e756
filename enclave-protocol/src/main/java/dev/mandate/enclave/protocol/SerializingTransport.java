package dev.mandate.enclave.protocol;

import java.util.function.UnaryOperator;

/**
 * A transport that crosses a byte boundary: requests are encoded, handed to {@code link} (in tests,
 * the enclave's byte handler; later, a vsock socket) and the reply decoded. Proves the protocol needs
 * nothing but bytes.
 */
public final class SerializingTransport implements EnclaveTransport {
  private final UnaryOperator<byte[]> link;

  public SerializingTransport(final UnaryOperator<byte[]> link) {
    this.link = link;
  }

  @Override
  public EnclaveResponse call(final EnclaveRequest request) {
    return MessageCodec.decodeResponse(link.apply(MessageCodec.encode(request)));
  }
}
