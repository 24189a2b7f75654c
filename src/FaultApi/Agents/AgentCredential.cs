using FaultApi.Auth;
using Microsoft.Extensions.Options;

namespace FaultApi.Agents;

/// <summary>The bearer token the API presents to the agents (<c>Agents:TokenFile</c>, reloaded when it changes).</summary>
public sealed class AgentCredential
{
    private readonly TokenFileReader<string> _reader;

    public AgentCredential(IOptions<AgentsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _reader = new TokenFileReader<string>(options.Value.TokenFile, Parse);
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

        throw new InvalidDataException("the agent token file holds no token");
    }
}
