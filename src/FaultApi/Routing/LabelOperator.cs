namespace FaultApi.Routing;

/// <summary>The operator of a <see cref="LabelRequirement"/> (<c>=</c> and <c>==</c> are <see cref="In"/> one value, <c>!=</c> is <see cref="NotIn"/>).</summary>
public enum LabelOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
