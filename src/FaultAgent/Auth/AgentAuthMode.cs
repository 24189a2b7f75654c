namespace FaultAgent.Auth;

/// <summary>How the agent authenticates its callers (<c>Agent:AuthMode</c>).</summary>
public enum AgentAuthMode
{
    /// <summary>Bearer tokens from <c>Agent:TokenFile</c> (the local run, static routing).</summary>
    TokenFile,

    /// <summary>
    /// Kubernetes ServiceAccount tokens checked with a TokenReview against <c>Agent:TokenReview:*</c> (in a cluster: the
    /// API presents its projected, audience-bound token).
    /// </summary>
    TokenReview,
}
