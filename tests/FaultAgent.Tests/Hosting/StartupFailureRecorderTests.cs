using FaultInjection.TestSupport.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Hosting;

/// <summary>
/// The test factories' guard against WebApplicationFactory's start race: when the app has already failed its start and
/// disposed its host, the factory's own start throws ObjectDisposedException; the recorder turns that back into the
/// app's validation failure. Reproduced here in order, with a real host, instead of by timing.
/// </summary>
public sealed class StartupFailureRecorderTests
{
    [Fact]
    public async Task Start_HostDisposedAfterFailedValidation_ThrowsTheValidationFailure()
    {
        var recorder = new StartupFailureRecorder();
        var host = FailingHost(recorder);
        var failed = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        host.Dispose();

        var error = Assert.Throws<OptionsValidationException>(() => recorder.Start(() =>
        {
            _ = host.Services.GetRequiredService<IHostApplicationLifetime>();
            return host;
        }));

        Assert.Same(failed, error);
        Assert.Contains("Sample:Name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_HostDisposedWithoutFailedValidation_LetsTheObjectDisposedExceptionThrough()
    {
        var recorder = new StartupFailureRecorder();
        var host = FailingHost(recorder, name: "set");
        host.Dispose();

        Assert.Throws<ObjectDisposedException>(() => recorder.Start(() =>
        {
            _ = host.Services.GetRequiredService<IHostApplicationLifetime>();
            return host;
        }));
        Assert.Null(recorder.Failure);
    }

    private static IHost FailingHost(StartupFailureRecorder recorder, string? name = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOptions<SampleOptions>()
            .Configure(o => o.Name = name)
            .Validate(o => o.Name is not null, "Sample:Name is required.")
            .ValidateOnStart();
        recorder.Install(builder.Services);
        return builder.Build();
    }

    private sealed class SampleOptions
    {
        public string? Name { get; set; }
    }
}
