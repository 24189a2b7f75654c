using System.Reflection;
using System.Runtime.Loader;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Deploy;

/// <summary>
/// The agent's settings classes read from its built assembly (the test project builds the agent but does not reference it:
/// its gRPC types would clash with the API's): every options type with a <c>SectionName</c>, its properties and defaults.
/// </summary>
public sealed class AgentAssemblyOptions
{
    private static readonly Lazy<AgentAssemblyOptions> Loaded = new(Load);

    private AgentAssemblyOptions(Assembly assembly) => Assembly = assembly;

    public static AgentAssemblyOptions Instance => Loaded.Value;

    public Assembly Assembly { get; }

    /// <summary>Section name (<c>Agent</c>, <c>Agent:Tools</c>, ...) → its options type.</summary>
    public IReadOnlyDictionary<string, Type> Sections =>
        LoadableTypes(Assembly)
            .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Type.Name.EndsWith("Options", StringComparison.Ordinal))
            .ToDictionary(x => (string)x.Field!.GetRawConstantValue()!, x => x.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>The default value of <paramref name="property"/> on a new instance of the options type of <paramref name="section"/>.</summary>
    public object? Default(string section, string property)
    {
        var type = Sections[section];
        var instance = Activator.CreateInstance(type)!;
        return type.GetProperty(property)!.GetValue(instance);
    }

    /// <summary>Where the agent's real <c>ProcBootIdSource</c> reads the node's boot id, on the default settings.</summary>
    public string DefaultBootIdPath()
    {
        var optionsType = Sections["Agent"];
        var wrapped = typeof(Microsoft.Extensions.Options.Options).GetMethod(nameof(Microsoft.Extensions.Options.Options.Create))!
            .MakeGenericMethod(optionsType)
            .Invoke(null, [Activator.CreateInstance(optionsType)]);
        var sourceType = Assembly.GetType("FaultAgent.Registry.ProcBootIdSource", throwOnError: true)!;
        var source = Activator.CreateInstance(sourceType, wrapped)!;
        return (string)sourceType.GetProperty("BootIdPath")!.GetValue(source)!;
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    private static AgentAssemblyOptions Load()
    {
        var path = RealAgentProcess.AgentAssembly;
        var context = new AssemblyLoadContext("fault-agent-settings", isCollectible: false);
        var directory = Path.GetDirectoryName(path)!;
        context.Resolving += (ctx, name) =>
        {
            var candidate = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
        };
        return new AgentAssemblyOptions(context.LoadFromAssemblyPath(path));
    }
}
