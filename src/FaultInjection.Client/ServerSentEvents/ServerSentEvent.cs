namespace FaultInjection.Client.ServerSentEvents;

/// <summary>One message of a <c>text/event-stream</c>: its <c>event:</c> name (default <c>message</c>), <c>id:</c> and joined <c>data:</c> lines.</summary>
internal sealed record ServerSentEvent(string Event, string? Id, string Data);
