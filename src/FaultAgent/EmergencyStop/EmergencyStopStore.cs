using System.Text.Json;
using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.EmergencyStop;

/// <summary>
/// The node's emergency-stop state, persisted in <c>Agent:StateDirectory/emergency-stop.json</c> (written beside, fsync'd,
/// renamed over, directory fsync'd) so an agent restarted while stopped still refuses. A file that exists but cannot be
/// read counts as engaged: the agent refuses when it cannot confirm the stop is released. Engaging takes effect in memory
/// before the file is written (refusing at once even if the disk fails); releasing only after the file is written.
/// From its start the state is <em>unconfirmed</em> (in memory, never persisted): a state directory that never heard of a
/// stop engaged while the agent was down holds the released state, so until an API's push (<see cref="ApplyAsync"/>)
/// leaves this node holding exactly the pushed state, a released state refuses every real injection
/// (<see cref="EmergencyStopUnconfirmedException"/>), as an engaged one does.
/// </summary>
public sealed class EmergencyStopStore : IInjectionGuard, IDisposable
{
    public const string FileName = "emergency-stop.json";
    public const int MaxHistory = 100;

    private readonly ILogger<EmergencyStopStore> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private EmergencyStopFile _file;
    private bool _confirmed;

    public EmergencyStopStore(IOptions<AgentOptions> options, TimeProvider timeProvider, ILogger<EmergencyStopStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _timeProvider = timeProvider;
        StateDirectory = options.Value.StateDirectory;
        FilePath = Path.Combine(StateDirectory, FileName);
        _file = Load();
    }

    public string StateDirectory { get; }

    public string FilePath { get; }

    public EmergencyStopState Current
    {
        get
        {
            lock (_lock)
            {
                return _file.Current;
            }
        }
    }

    /// <summary>True once a push confirmed the state held since the start (in memory only: every start begins unconfirmed).</summary>
    public bool Confirmed
    {
        get
        {
            lock (_lock)
            {
                return _confirmed;
            }
        }
    }

    /// <summary>Every applied change still kept, oldest first.</summary>
    public IReadOnlyList<EmergencyStopState> History
    {
        get
        {
            lock (_lock)
            {
                return _file.History;
            }
        }
    }

    public void ThrowIfRefused()
    {
        EmergencyStopState current;
        bool confirmed;
        lock (_lock)
        {
            current = _file.Current;
            confirmed = _confirmed;
        }

        if (current.Engaged)
        {
            throw new EmergencyStopEngagedException(current);
        }

        if (!confirmed)
        {
            throw new EmergencyStopUnconfirmedException(current);
        }
    }

    /// <summary>
    /// Applies <paramref name="state"/> when it supersedes the node's (a higher version, or the same version engaged over
    /// released); else nothing changes. Returns the state now in force and whether it changed. Confirms the node's state
    /// (<see cref="Confirmed"/>) when, after it, the node holds exactly <paramref name="state"/> (adopted, or already held:
    /// the same version and engaged-ness); a state that loses to the node's confirms nothing. Version 0 released (a cluster
    /// whose stop was never engaged) changes nothing and only confirms a node that never heard of a stop.
    /// </summary>
    /// <exception cref="FaultRegistryStorageException">The file could not be written (an engage is in force anyway; a release is not).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The version is not from 1 to one day ahead of the agent's clock (or 0 released).</exception>
    public async Task<(EmergencyStopState State, bool Changed)> ApplyAsync(EmergencyStopState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!(state.Version == 0 && !state.Engaged) && !EmergencyStopState.IsVersionAcceptable(state.Version, _timeProvider.GetUtcNow()))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state.Version, $"The stop version must be from 1 to one day ahead of this agent's clock ({EmergencyStopState.MaxVersionAt(_timeProvider.GetUtcNow())}), or 0 released.");
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EmergencyStopFile next;
            lock (_lock)
            {
                var current = _file.Current;
                if (!state.Supersedes(current))
                {
                    if (state.Version != current.Version || state.Engaged != current.Engaged)
                    {
                        // Lost to this node's own state: the pusher is behind, so this confirms nothing.
                        EmergencyStopLog.StaleIgnored(_logger, state.Version, state.Engaged, current.Version, current.Engaged);
                    }
                    else
                    {
                        Confirm(current);
                    }

                    return (current, false);
                }

                var history = _file.History.Append(state).ToList();
                next = new EmergencyStopFile { Current = state, History = history.Count > MaxHistory ? history[^MaxHistory..] : history };
                if (state.Engaged)
                {
                    _file = next;
                    Confirm(state);
                }
            }

            Save(next);
            lock (_lock)
            {
                _file = next;
                Confirm(state);
            }

            return (state, true);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose() => _writeGate.Dispose();

    /// <summary>Marks the state held as confirmed (under <see cref="_lock"/>); logged the first time.</summary>
    private void Confirm(EmergencyStopState held)
    {
        if (!_confirmed)
        {
            _confirmed = true;
            EmergencyStopLog.Confirmed(_logger, held.Version, held.Engaged);
        }
    }

    private EmergencyStopFile Load()
    {
        if (!File.Exists(FilePath))
        {
            EmergencyStopLog.Unconfirmed(_logger, 0);
            return new EmergencyStopFile { Current = EmergencyStopState.Released };
        }

        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllBytes(FilePath), EmergencyStopJsonContext.Default.EmergencyStopFile)
                ?? throw new JsonException("the file holds null");
            if (file.Current.Version != 0 && !EmergencyStopState.IsVersionAcceptable(file.Current.Version, _timeProvider.GetUtcNow()))
            {
                // No push could ever supersede it: treat it as unreadable (engaged at version 0, which any push replaces).
                throw new JsonException($"its version {file.Current.Version} is more than a day ahead of this agent's clock");
            }

            if (file.Current.Engaged)
            {
                EmergencyStopLog.LoadedEngaged(_logger, FilePath, file.Current.ChangedBy, file.Current.ChangedAt);
            }
            else
            {
                EmergencyStopLog.Unconfirmed(_logger, file.Current.Version);
            }

            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            EmergencyStopLog.Unreadable(_logger, FilePath, e);

            // Version 0: any state the API pushes replaces it.
            var unknown = new EmergencyStopState(true, "agent", _timeProvider.GetUtcNow(), $"the emergency-stop state file {FilePath} cannot be read ({e.Message}); the agent cannot confirm the stop is released", 0);
            return new EmergencyStopFile { Current = unknown };
        }
    }

    private void Save(EmergencyStopFile file)
    {
        var temporary = FilePath + ".tmp";
        try
        {
            Directory.CreateDirectory(StateDirectory);
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, file, EmergencyStopJsonContext.Default.EmergencyStopFile);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, FilePath, overwrite: true);
            StateDirectorySync.Flush(StateDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaultRegistryStorageException($"The emergency-stop state file {FilePath} cannot be written: {e.Message}", e);
        }
    }
}
