namespace FaultApi.Faults;

/// <summary>
/// The phases of one API injection that <see cref="InjectionProfile"/> times (benchmark-only), in the order a request
/// passes them; each runs from the end of the phase before it to its own end, so together they are the request's time
/// inside the API's pipeline.
/// </summary>
public enum InjectionPhase
{
    /// <summary>From the first middleware to the authentication handler: exception handler, status pages, endpoint matching.</summary>
    Pipeline,

    /// <summary>The bearer handler: the caller token file's stamp and the SHA-256 comparison, the principal.</summary>
    Authentication,

    /// <summary>Authorization, reading the body and binding it (JSON deserialization, the route value, the header).</summary>
    BodyBinding,

    /// <summary>The audit filter's entry (caller, target) up to the handler.</summary>
    AuditEntry,

    /// <summary>The handler's input rules and the request key.</summary>
    Validation,

    /// <summary>The node's agent from the agent directory.</summary>
    RoutingLookup,

    /// <summary>Re-reading the emergency stop (static mode: one <c>statx()</c>) and the engaged check.</summary>
    EmergencyStop,

    /// <summary>The blast-radius guard's plan (with the defaults: the pick of the node, no ledger).</summary>
    BlastRadius,

    /// <summary>The fault id and per-node idempotency key, the request message addressed to the node.</summary>
    Addressing,

    /// <summary>The agent credential (the token file's stamp) and the call's headers and deadline.</summary>
    Credential,

    /// <summary>The agent's channel and client from the pool.</summary>
    ChannelAcquire,

    /// <summary>The gRPC call to the agent, as the API waits for it (the agent's handler inside it).</summary>
    AgentCall,

    /// <summary>Recording the call in the agent-call histogram.</summary>
    CallMetrics,

    /// <summary>Mapping the agent's answer to the API's resource and result.</summary>
    ResponseMapping,

    /// <summary>The audit event (one log event) and the filter's exit.</summary>
    AuditWrite,

    /// <summary>Executing the result (JSON serialization and the response write) back to the first middleware.</summary>
    ResponseWrite,
}
