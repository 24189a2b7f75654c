using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Hosting;

public static class OptionsBuilderValidationExtensions
{
    /// <summary>
    /// Validates the options with their compile-time generated attribute validator (<c>[OptionsValidator]</c>), the
    /// Native AOT replacement for <c>ValidateDataAnnotations</c>, which reflects over the options type.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateAttributes<TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return builder;
    }
}
