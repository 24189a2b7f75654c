using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// Confirms a real agent's emergency-stop state the way the API does, for tests that call an agent directly: an agent
/// refuses real injections from its start until an API confirmed the state it holds (EMERGENCY_STOP_UNCONFIRMED), so
/// whoever starts one for such a test asks it for its state (<c>GetEmergencyStop</c>) and pushes that state back
/// (<c>SetEmergencyStop</c>), which confirms it and changes nothing else. Compiled into both test projects (each against
/// its own generated client of protos/fault_agent.proto), so agents started anywhere are confirmed by this one file:
/// <c>AgentApplicationFactory</c> and <c>AgentProcess</c> (FaultAgent.Tests), <c>RealAgentProcess</c> (FaultApi.Tests: every fixture's real agent).
/// </summary>
internal static class AgentStopConfirmation
{
    /// <summary>Confirms the agent at <paramref name="grpcAddress"/> with the credential in <paramref name="auth"/>; throws when it is not confirmed after the push.</summary>
    public static async Task ConfirmAsync(Uri grpcAddress, Metadata auth, CancellationToken cancellationToken = default)
    {
        using var channel = GrpcChannel.ForAddress(grpcAddress);
        await ConfirmAsync(new FaultInjection.Agent.V1.FaultAgent.FaultAgentClient(channel), auth, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Confirms the agent behind <paramref name="client"/> (see <see cref="ConfirmAsync(Uri, Metadata, CancellationToken)"/>).</summary>
    public static async Task ConfirmAsync(FaultInjection.Agent.V1.FaultAgent.FaultAgentClient client, Metadata auth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var held = await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), auth, cancellationToken: cancellationToken).ConfigureAwait(false);
        var after = await client.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = held }, auth, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!after.Confirmed)
        {
            throw new InvalidOperationException($"The agent of {after.NodeName} is not confirmed after its own state (version {held.Version}, engaged {held.Engaged}) was pushed back: it holds version {after.Version}, engaged {after.Engaged}.");
        }
    }
}
