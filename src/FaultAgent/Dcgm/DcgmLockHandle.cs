namespace FaultAgent.Dcgm;

/// <summary>The agent's DCGM lock, held until disposed (once).</summary>
internal sealed class DcgmLockHandle(SemaphoreSlim gate) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            gate.Release();
        }
    }
}
