namespace FaultAgent.Tests.Compatibility;

/// <summary>One code a monitor found in a record (<c>Xid</c>, <c>SXid</c>, or <c>fallen off</c> for an Xid 79 without its number) and the device it names.</summary>
internal sealed record MonitorFinding(string Kind, int Code, string Device);
