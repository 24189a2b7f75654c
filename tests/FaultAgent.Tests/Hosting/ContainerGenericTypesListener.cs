using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Text.RegularExpressions;

namespace FaultAgent.Tests.Hosting;

/// <summary>
/// Listens to the DI container's event source ("Microsoft-Extensions-DependencyInjection") and keeps, per service
/// provider, the closed generic types its call sites construct from open generic registrations (<c>Logger`1[X]</c>,
/// <c>OptionsFactory`1[X]</c>, …) and the arrays its <c>IEnumerable&lt;T&gt;</c> call sites create: the types a
/// Native AOT executable builds at run time unless they are compiled in. Names are given as an rd.xml
/// <c>&lt;Type Name="…"&gt;</c> writes them (generic arguments assembly-qualified by simple name) with the defining assembly.
/// </summary>
internal sealed partial class ContainerGenericTypesListener : EventListener
{
    private readonly ConcurrentQueue<(int Provider, string Json)> _callSites = new();
    private readonly ConcurrentDictionary<(int Provider, string Service), string> _chunks = new();

    public IReadOnlySet<(string Assembly, string Name)> BuiltBy(object provider)
    {
        var hash = provider.GetHashCode();
        var names = new HashSet<(string, string)>();
        foreach (var (owner, json) in _callSites)
        {
            if (owner != hash)
            {
                continue;
            }

            foreach (Match match in ImplementationType().Matches(json))
            {
                if (Resolve(match.Groups[1].Value) is { ContainsGenericParameters: false } type)
                {
                    names.Add((type.Assembly.GetName().Name!, RdXmlName(type)));
                }
            }

            foreach (Match match in ItemType().Matches(json))
            {
                if (Resolve(match.Groups[1].Value) is { ContainsGenericParameters: false } item)
                {
                    names.Add((item.Assembly.GetName().Name!, RdXmlName(item.MakeArrayType())));
                }
            }
        }

        return names;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Extensions-DependencyInjection")
        {
            EnableEvents(eventSource, EventLevel.Verbose, EventKeywords.All);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // A long call site comes in chunks, in order, on the thread that built it.
        if (eventData.EventName == "CallSiteBuilt" && eventData.Payload is { Count: > 4 } payload
            && payload[0] is string service && payload[1] is string chunk && payload[2] is int index && payload[3] is int count && payload[4] is int provider)
        {
            var key = (provider, service);
            var json = index == 0 ? chunk : _chunks.GetValueOrDefault(key, string.Empty) + chunk;
            if (index + 1 < count)
            {
                _chunks[key] = json;
                return;
            }

            _chunks.TryRemove(key, out _);
            _callSites.Enqueue((provider, json));
        }
    }

    private static string RdXmlName(Type type) =>
        type.IsArray ? RdXmlName(type.GetElementType()!) + "[]"
        : !type.IsConstructedGenericType ? type.FullName!
        : type.GetGenericTypeDefinition().FullName + "[" + string.Join(",", type.GetGenericArguments().Select(a => $"[{RdXmlName(a)},{a.Assembly.GetName().Name}]")) + "]";

    /// <summary>A type from a reflection name such as <c>A.B`1[C.D]</c> (arguments not assembly-qualified), searched in every loaded assembly.</summary>
    private static Type? Resolve(string name)
    {
        var at = 0;
        var type = Parse(name, ref at);
        return at == name.Length ? type : null;
    }

    private static Type? Parse(string name, ref int at)
    {
        var start = at;
        while (at < name.Length && name[at] is not ('[' or ',' or ']'))
        {
            at++;
        }

        var simple = name[start..at].Trim();
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(simple, throwOnError: false)).FirstOrDefault(t => t is not null);
        if (type is null || at == name.Length || name[at] != '[' || !type.IsGenericTypeDefinition)
        {
            return type;
        }

        at++;
        var arguments = new List<Type>();
        while (at < name.Length)
        {
            if (Parse(name, ref at) is not { } argument)
            {
                return null;
            }

            arguments.Add(argument);
            if (at < name.Length && name[at] == ']')
            {
                at++;
                return type.MakeGenericType([.. arguments]);
            }

            at++;
        }

        return null;
    }

    [GeneratedRegex("\"implementationType\": *\"([^\"]*`[^\"]*)\"")]
    private static partial Regex ImplementationType();

    [GeneratedRegex("\"itemType\": *\"([^\"]*)\"")]
    private static partial Regex ItemType();
}
