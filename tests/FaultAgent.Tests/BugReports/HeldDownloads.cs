using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultAgent.Tests.BugReports;

/// <summary>Downloads of one report, each holding its place after its first chunk (<see cref="BugReportDownloads.OpenHeldAsync"/>); disposing ends them all.</summary>
internal sealed class HeldDownloads : IDisposable
{
    private readonly List<AsyncServerStreamingCall<BugReportChunk>> _calls = [];

    /// <summary>Opens <paramref name="count"/> held downloads; those already open are ended if one fails.</summary>
    public static async Task<HeldDownloads> OpenAsync(AgentClient client, string reportId, int count)
    {
        var held = new HeldDownloads();
        try
        {
            for (var i = 0; i < count; i++)
            {
                held._calls.Add(await BugReportDownloads.OpenHeldAsync(client, reportId));
            }

            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Ends the oldest held download (its caller goes away).</summary>
    public void EndOne()
    {
        _calls[0].Dispose();
        _calls.RemoveAt(0);
    }

    public void Dispose() => _calls.ForEach(c => c.Dispose());
}
