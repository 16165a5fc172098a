package io.weft.sync;

/**
 * A value received from any peer of a {@link MeshConnection}
 * ({@link MeshConnection#recvFromAny()}), with the member id of the peer
 * that sent it.
 */
public record MeshMessage<T>(int from, T value) {
}
