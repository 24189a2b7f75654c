namespace FaultAgent.Injection;

/// <summary>The board serial and PCI id of the node's GPUs (the host's nvidia-smi); never throws for a missing tool.</summary>
public interface IGpuBoardInfoSource
{
    /// <summary>What is known of the GPU at <paramref name="pciBusId"/> (<c>dddd:bb:dd.f</c>); unknown values carry the reason.</summary>
    /// <exception cref="BoardInfoPendingException">The lookup has not answered within its bound (it goes on); nothing may be written that needs it.</exception>
    Task<GpuBoardInfo> GetAsync(string pciBusId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts looking up the GPUs at <paramref name="pciBusIds"/> in the background when a later <see cref="GetAsync"/>
    /// for one of them would have to (none known, no answer kept); returns at once and never throws for the lookup.
    /// </summary>
    void LookAhead(IReadOnlyCollection<string> pciBusIds);
}
