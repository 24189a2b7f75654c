using System.Globalization;
using FaultAgent.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Limits;

/// <summary>
/// The node's injection limits (<see cref="InjectionLimitOptions"/>): the open-fault cap first (a refusal there takes no
/// token), then the token bucket. The agent is the only writer of its node's kernel log, so the limits hold whatever
/// the caller does: every route (gRPC, HTTP, any API replica) goes through this one instance.
/// </summary>
public sealed class InjectionLimiter : IInjectionLimiter
{
    /// <summary>Retry-After for the fault cap when no open fault has a duration (only clearing frees a place).</summary>
    public static readonly TimeSpan CapRetryWithoutExpiry = TimeSpan.FromSeconds(60);

    private readonly InjectionLimitOptions _options;
    private readonly string _nodeName;
    private readonly TimeProvider _time;
    private readonly ILogger<InjectionLimiter> _logger;
    private readonly TokenBucket _bucket;

    public InjectionLimiter(IOptions<InjectionLimitOptions> options, IOptions<AgentOptions> agentOptions, TimeProvider timeProvider, ILogger<InjectionLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(agentOptions);
        _options = options.Value;
        _nodeName = agentOptions.Value.NodeName;
        _time = timeProvider;
        _logger = logger;
        _bucket = new TokenBucket(timeProvider, _options.InjectionBurst, _options.InjectionsPerSecond);
    }

    public void Admit(int openFaults, DateTimeOffset? nextExpiry) => Apply(openFaults, nextExpiry, take: true);

    public void Check(int openFaults, DateTimeOffset? nextExpiry) => Apply(openFaults, nextExpiry, take: false);

    private void Apply(int openFaults, DateTimeOffset? nextExpiry, bool take)
    {
        if (openFaults >= _options.MaxActiveFaults)
        {
            var untilExpiry = nextExpiry is { } expiry ? expiry - _time.GetUtcNow() : CapRetryWithoutExpiry;
            var retryAfter = untilExpiry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : untilExpiry;
            InjectionLimitLog.Refused(_logger, InjectionLimit.ActiveFaults, retryAfter.TotalSeconds);
            throw new InjectionLimitExceededException(
                InjectionLimit.ActiveFaults,
                retryAfter,
                string.Create(CultureInfo.InvariantCulture, $"The node already holds {openFaults} open faults, the most Agent:Limits:MaxActiveFaults ({_options.MaxActiveFaults}) allows. Nothing was written; clear faults (or wait for one to expire) first."))
            { NodeName = _nodeName };
        }

        if (!(take ? _bucket.TryTake(out var wait) : _bucket.HasToken(out wait)))
        {
            InjectionLimitLog.Refused(_logger, InjectionLimit.Rate, wait.TotalSeconds);
            throw new InjectionLimitExceededException(
                InjectionLimit.Rate,
                wait,
                string.Create(CultureInfo.InvariantCulture, $"The node accepts {_options.InjectionsPerSecond:0.###} injections per second with bursts of {_options.InjectionBurst} (Agent:Limits:InjectionsPerSecond, Agent:Limits:InjectionBurst); try again in {wait.TotalSeconds:0.###} s. Nothing was written."))
            { NodeName = _nodeName };
        }
    }
}
