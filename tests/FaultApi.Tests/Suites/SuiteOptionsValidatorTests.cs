using FaultApi.Suites;

namespace FaultApi.Tests.Suites;

/// <summary>The suites' settings are checked at start: each one out of range fails naming it; the defaults pass.</summary>
public sealed class SuiteOptionsValidatorTests
{
    [Theory]
    [InlineData(0, 16, 200, "Suites:MaxDrills")]
    [InlineData(100, 0, 200, "Suites:MaxConcurrency")]
    [InlineData(100, 16, 0, "Suites:MaxRecords")]
    public void Validate_SettingOutOfRange_FailsNamingIt(int maxDrills, int maxConcurrency, int maxRecords, string setting)
    {
        var result = new SuiteOptionsValidator().Validate(null, new SuiteOptions { MaxDrills = maxDrills, MaxConcurrency = maxConcurrency, MaxRecords = maxRecords });

        Assert.True(result.Failed);
        Assert.Single(result.Failures!, f => f.StartsWith(setting, StringComparison.Ordinal));
        Assert.True(new SuiteOptionsValidator().Validate(null, new SuiteOptions()).Succeeded);
    }
}
