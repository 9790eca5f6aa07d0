using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

public static class FreeTcpPort
{
    /// <summary>
    /// A loopback port the OS reports free, for which every port <paramref name="companions"/> names is free too
    /// (RabbitMQ also listens on a distribution port derived from its AMQP port).
    /// </summary>
    public static int Find(Func<int, IEnumerable<int>>? companions = null)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Reserve(0);
            if (companions is null || companions(port).All(IsFree))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free loopback port found in 100 attempts.");
    }

    public static bool IsFree(int port)
    {
        try
        {
            Reserve(port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Reserve(int port)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
