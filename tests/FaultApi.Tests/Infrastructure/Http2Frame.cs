namespace FaultApi.Tests.Infrastructure;

/// <summary>One whole HTTP/2 frame through an <see cref="Http2FrameRelay"/>: its direction, type, stream and payload.</summary>
/// <param name="FromClient">True for a frame from the API to the agent.</param>
public sealed record Http2Frame(bool FromClient, byte Type, int Stream, byte[] Payload);
