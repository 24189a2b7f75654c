using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaultInjection.TestSupport.Hosting;

/// <summary>
/// For a <c>WebApplicationFactory</c> test of a setting that must stop the app at start: keeps the exception the app's
/// start-up validation (<c>ValidateOnStart</c>, run by <see cref="IStartupValidator"/>) threw, so the test sees that
/// exception and its message. Without it the test depends on a race inside WebApplicationFactory: the app's own thread
/// fails its start and disposes its host while the factory's <c>DeferredHost.StartAsync</c> still resolves a service
/// from it, and the factory then throws <see cref="ObjectDisposedException"/> ("IServiceProvider") instead of the
/// validation failure (seen in CI under load).
/// </summary>
public sealed class StartupFailureRecorder
{
    private Exception? _failure;

    /// <summary>What the app's start-up validation threw, if it failed.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Wraps the app's <see cref="IStartupValidator"/> (call it after the app's own registrations, e.g. from <c>ConfigureTestServices</c>).</summary>
    public void Install(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var original = services.LastOrDefault(d => d.ServiceType == typeof(IStartupValidator));
        if (original is null)
        {
            return;
        }

        services.Remove(original);
        services.Add(ServiceDescriptor.Describe(typeof(IStartupValidator), provider => new RecordingValidator(Create(original, provider), this), original.Lifetime));
    }

    /// <summary>Runs the factory's start (<c>base.CreateHost(builder)</c>); if it lost the race above, throws the recorded validation failure instead.</summary>
    public IHost Start(Func<IHost> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            return start();
        }
        catch (ObjectDisposedException) when (Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    private static IStartupValidator Create(ServiceDescriptor descriptor, IServiceProvider provider) =>
        (IStartupValidator)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType ?? throw new InvalidOperationException("IStartupValidator is registered without an implementation.")));

    private sealed class RecordingValidator(IStartupValidator inner, StartupFailureRecorder recorder) : IStartupValidator
    {
        public void Validate()
        {
            try
            {
                inner.Validate();
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref recorder._failure, ex, null);
                throw;
            }
        }
    }
}
