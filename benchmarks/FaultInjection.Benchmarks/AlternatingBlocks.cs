using System.Diagnostics;

namespace FaultInjection.Benchmarks;

/// <summary>
/// Several sequential operations measured in turns, a block of each in a fixed order, round after round: every sample of
/// every operation is taken across the same stretch of machine state, so their differences compare (a busy second
/// slows all of them, not one).
/// </summary>
public sealed class AlternatingBlocks
{
    private readonly List<(LatencySample Sample, Func<int, Task> Operation)> _operations = [];

    public LatencySample Add(string name, Func<int, Task> operation)
    {
        var sample = new LatencySample(name);
        _operations.Add((sample, operation));
        return sample;
    }

    /// <summary>Runs <paramref name="rounds"/> rounds of <paramref name="blockSize"/> calls of each operation in turn (the call's index is passed on).</summary>
    public async Task RunAsync(int rounds, int blockSize)
    {
        var index = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (sample, operation) in _operations)
            {
                for (var i = 0; i < blockSize; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await operation(index++);
                    sample.Add(watch.Elapsed);
                }
            }
        }
    }
}
