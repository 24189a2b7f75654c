using FaultInjection.Agent.V1;

namespace FaultApi.Faults;

/// <summary>Sets the optional (presence-tracked) fields of an <see cref="InjectXidRequest"/> from the body.</summary>
public static class InjectXidRequestOptional
{
    public static InjectXidRequest WithOptional(this InjectXidRequest request, InjectXidBody body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        if (body.GpuInstance is { } gi)
        {
            request.GpuInstance = gi;
        }

        if (body.ComputeInstance is { } ci)
        {
            request.ComputeInstance = ci;
        }

        if (body.Channel is { } channel)
        {
            request.Channel = channel;
        }

        return request;
    }
}
