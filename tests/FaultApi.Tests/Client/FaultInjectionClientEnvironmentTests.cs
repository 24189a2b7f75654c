using FaultApi.Tests.Infrastructure;
using FaultInjection.Client;

namespace FaultApi.Tests.Client;

/// <summary>
/// <see cref="FaultInjectionClient.FromEnvironment"/> reads FAULT_INJECTION_API and FAULT_INJECTION_TOKEN. The variables are
/// process-wide, so these tests are in a collection that runs alone.
/// </summary>
[Collection(nameof(ProcessEnvironmentGroup))]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultInjectionClientEnvironmentTests(RealProductFixture product) : IClassFixture<RealProductFixture>
{
    [RootFact]
    public async Task FromEnvironment_AddressAndToken_CallsThatApi()
    {
        using var scope = new EnvironmentScope(product.ApiAddress.ToString(), RealProductFixture.Token);
        using var client = FaultInjectionClient.FromEnvironment();

        var faults = await client.ListFaultsAsync();

        Assert.Equal(product.ApiAddress, client.BaseAddress);
        Assert.Contains(RealProductFixture.NodeName, faults.Nodes);
    }

    [RootFact]
    public void FromEnvironment_Unset_UsesLocalhost8080()
    {
        using var scope = new EnvironmentScope(null, null);
        using var client = FaultInjectionClient.FromEnvironment();

        Assert.Equal(new Uri("http://localhost:8080"), client.BaseAddress);
    }

    [RootFact]
    public void FromEnvironment_NotAnHttpAddress_ThrowsNamingTheVariable()
    {
        using var scope = new EnvironmentScope("ftp://example", null);

        var error = Assert.Throws<InvalidOperationException>(FaultInjectionClient.FromEnvironment);

        Assert.Contains("FAULT_INJECTION_API", error.Message, StringComparison.Ordinal);
    }

    private sealed class EnvironmentScope : IDisposable
    {
        private readonly string? _address = Environment.GetEnvironmentVariable(FaultInjectionClient.ApiAddressVariable);
        private readonly string? _token = Environment.GetEnvironmentVariable(FaultInjectionClient.TokenVariable);

        public EnvironmentScope(string? address, string? token)
        {
            Environment.SetEnvironmentVariable(FaultInjectionClient.ApiAddressVariable, address);
            Environment.SetEnvironmentVariable(FaultInjectionClient.TokenVariable, token);
        }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable(FaultInjectionClient.ApiAddressVariable, _address);
            Environment.SetEnvironmentVariable(FaultInjectionClient.TokenVariable, _token);
        }
    }
}
