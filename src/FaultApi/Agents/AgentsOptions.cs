using System.ComponentModel.DataAnnotations;

namespace FaultApi.Agents;

/// <summary>The <c>Agents</c> settings: how the API calls the agents.</summary>
public sealed class AgentsOptions
{
    public const string SectionName = "Agents";

    /// <summary>File holding the bearer token the API presents to every agent (first non-comment line).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Agents:TokenFile is required: the file with the bearer token the API presents to the agents.")]
    public string TokenFile { get; set; } = "";

    /// <summary>Deadline of each agent call, retries included.</summary>
    [Range(0.1, 600)]
    public double CallTimeoutSeconds { get; set; } = 15;

    /// <summary>Attempts for safe calls (reads, and injections, which carry an idempotency key) when an agent is UNAVAILABLE.</summary>
    [Range(1, 5)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>At most this many agents are called at once when a request gathers from every node.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 16;
}
