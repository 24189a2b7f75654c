using Microsoft.Extensions.Options;

namespace FaultAgent.Hosting;

/// <summary>The compile-time generated checks of <see cref="AgentHttpOptions"/>' attributes (see <see cref="AgentOptionsAttributeValidator"/>).</summary>
[OptionsValidator]
public sealed partial class AgentHttpOptionsAttributeValidator : IValidateOptions<AgentHttpOptions>;
