using FaultApi.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Agents;

/// <summary>
/// The bearer token the API presents to the agents: the first non-comment line of <c>Agents:TokenFile</c> — a token
/// file of the local run or static mode, or, in a cluster, the API's projected ServiceAccount token (audience
/// <c>fault-injection-agent</c>), which the kubelet rewrites before it expires. Re-read whenever the file changed.
/// </summary>
public sealed class AgentCredential
{
    private readonly TokenFileReader<string> _reader;

    public AgentCredential(IOptions<AgentsOptions> options, ILogger<AgentCredential> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _reader = new TokenFileReader<string>(options.Value.TokenFile, Parse, logger);
    }

    public string GetToken() => _reader.Read();

    internal static string Parse(string content)
    {
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            return line;
        }

        throw new TokenFileFormatException("the agent token file holds no token");
    }
}
