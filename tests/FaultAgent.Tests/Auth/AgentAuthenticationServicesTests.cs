using FaultAgent.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace FaultAgent.Tests.Auth;

/// <summary>
/// The agent's authentication is bearer tokens only, without the ASP.NET Core data protection <c>AddAuthentication</c>
/// brings along for cookie and remote sign-in handlers: with it, every start loaded (on a fresh pod: created, logged a
/// warning about, and wrote unencrypted) a key ring under <c>~/.aspnet/DataProtection-Keys</c> that nothing read.
/// </summary>
public sealed class AgentAuthenticationServicesTests
{
    [RootFact]
    public void Start_Services_HoldNoDataProtection()
    {
        using var factory = new AgentApplicationFactory(Environment.ProcessId);

        var provider = factory.Services.GetService<IDataProtectionProvider>();

        Assert.Null(provider);
    }
}
