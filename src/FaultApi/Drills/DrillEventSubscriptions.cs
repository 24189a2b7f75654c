using FaultApi.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// Counts this replica's open drill event streams, per drill and in all, so no caller can hold an unbounded number of
/// responses and Kubernetes watches open: past <c>Drills:MaxEventSubscribersPerDrill</c> or
/// <c>Drills:MaxEventSubscribers</c> a new stream is refused with 429 before anything is watched.
/// </summary>
public sealed class DrillEventSubscriptions(IOptions<DrillOptions> options)
{
    /// <summary>What a refused caller is told to wait (a stream ends with its drill, or when its caller leaves).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perDrill = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Open streams now (all drills).</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>
    /// <see cref="Enter"/> for the life of <paramref name="response"/>: counted now (or the 429 thrown), left when the
    /// response completes, however it ends.
    /// </summary>
    public void EnterFor(string key, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Enter(key);
        response.OnCompleted(() =>
        {
            Leave(key);
            return Task.CompletedTask;
        });
    }

    /// <summary>Counts one more stream of <paramref name="drillId"/>, or throws the 429 problem naming the limit reached. Pair with <see cref="Leave"/>.</summary>
    public void Enter(string drillId)
    {
        ArgumentNullException.ThrowIfNull(drillId);
        var settings = options.Value;
        lock (_gate)
        {
            _perDrill.TryGetValue(drillId, out var open);
            var (limit, max) = _total >= settings.MaxEventSubscribers ? ("Drills:MaxEventSubscribers", settings.MaxEventSubscribers)
                : open >= settings.MaxEventSubscribersPerDrill ? ("Drills:MaxEventSubscribersPerDrill", settings.MaxEventSubscribersPerDrill)
                : (null, 0);
            if (limit is not null)
            {
                throw new ApiProblemException(
                    StatusCodes.Status429TooManyRequests,
                    "Too many event streams",
                    $"This API replica already serves {max} event streams ({limit}); try again when one has ended.",
                    extensions: new Dictionary<string, object?> { ["drill_id"] = drillId, ["limit"] = limit, ["max"] = max })
                {
                    RetryAfter = RetryAfter,
                };
            }

            _perDrill[drillId] = open + 1;
            _total++;
        }
    }

    public void Leave(string drillId)
    {
        ArgumentNullException.ThrowIfNull(drillId);
        lock (_gate)
        {
            if (!_perDrill.TryGetValue(drillId, out var open))
            {
                return;
            }

            if (open <= 1)
            {
                _perDrill.Remove(drillId);
            }
            else
            {
                _perDrill[drillId] = open - 1;
            }

            _total--;
        }
    }
}
