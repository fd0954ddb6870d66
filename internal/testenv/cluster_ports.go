package testenv

import (
	"errors"
	"fmt"
	"net"
	"os"
)

// clusterPortOffsets are the ports scripts/temporal-cluster.sh derives from
// its frontend port p: the four services' gRPC and HTTP ports, membership
// ports (p-700…) and metrics ports (p+1100…).
var clusterPortOffsets = []int{0, 1, 2, 6, 10, -700, -699, -698, -694, 1100, 1101, 1102, 1103}

// FreeClusterPort finds a frontend port for scripts/temporal-cluster.sh
// whose derived ports are all free. All stay below 32768: Temporal keeps
// membership ports in a smallint column.
func FreeClusterPort() (int, error) {
	for p := 11000 + os.Getpid()%19000; p < 31000; p += 37 {
		ok := true
		for _, off := range clusterPortOffsets {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+off))
			if err != nil {
				ok = false
				break
			}
			l.Close()
		}
		if ok {
			return p, nil
		}
	}
	return 0, errors.New("no free port block for a Temporal cluster")
}
