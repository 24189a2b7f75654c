namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// An agent's state directory that cannot be written: the directory and, when the agent already made it, its fault
/// journal made immutable (<see cref="ImmutableFile"/>): no file can be made there and the journal takes no append, even
/// through the descriptor the agent holds open. <see cref="Dispose"/> releases them, the journal first.
/// </summary>
public sealed class ImmutableStateDirectory : IDisposable
{
    private readonly List<ImmutableFile> _made = [];

    public ImmutableStateDirectory(string stateDirectory)
    {
        var journal = Path.Combine(stateDirectory, "faults.journal");
        try
        {
            if (File.Exists(journal))
            {
                _made.Add(ImmutableFile.Make(journal));
            }

            _made.Add(ImmutableFile.Make(stateDirectory));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var made in _made)
        {
            made.Dispose();
        }
    }
}
