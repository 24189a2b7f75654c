using FaultApi.Routing;
using FaultInjection.Agent.V1;

namespace FaultApi.EmergencyStop;

/// <summary>One agent's answer: the acknowledgement, its state (null when it did not answer or its version is out of bounds) and the raw answer.</summary>
internal sealed record AgentStopCopy(AgentEndpoint Agent, AgentStopAcknowledgement Ack, StopState? Held, EmergencyStopState? Response);
