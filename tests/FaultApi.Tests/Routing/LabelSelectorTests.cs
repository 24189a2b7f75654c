using FaultApi.Routing;

namespace FaultApi.Tests.Routing;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["nvidia.com/gpu.product"] = "H100",
        ["pool"] = "training",
        ["zone"] = "a",
    };

    [Theory]
    [InlineData("pool=training", true)]
    [InlineData("pool==training", true)]
    [InlineData("pool!=training", false)]
    [InlineData("pool=inference", false)]
    [InlineData("nvidia.com/gpu.product=H100,zone=a", true)]
    [InlineData("nvidia.com/gpu.product=H100,zone=b", false)]
    [InlineData("zone in (a, b)", true)]
    [InlineData("zone notin (a,b)", false)]
    [InlineData("missing notin (a)", true)]
    [InlineData("pool", true)]
    [InlineData("!pool", false)]
    [InlineData("!missing", true)]
    public void Matches_Selector_FollowsKubernetesSemantics(string selector, bool expected)
    {
        Assert.True(LabelSelector.TryParse(selector, out var parsed, out var error), error);
        Assert.Equal(expected, parsed.Matches(Labels));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pool in (a")]
    [InlineData("=value")]
    [InlineData("pool=has space")]
    public void TryParse_Malformed_FailsWithAReason(string selector)
    {
        Assert.False(LabelSelector.TryParse(selector, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
