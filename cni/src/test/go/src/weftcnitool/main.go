// weftcnitool: a cnitool-style client over Debian's libcni (the library containerd uses), built
// offline in CI (GO111MODULE=off GOPATH=<this dir>:/usr/share/gocode). The CNI tests drive Weft
// through it to prove that a real runtime library can ADD, CHECK and DEL with Weft chained with
// portmap.
//
//	weftcnitool add|check|del|version <network-name|plugin-type> <netns-path>
//
// Environment (as cnitool's): NETCONFPATH (config dir), CNI_PATH (plugin dirs), CNI_IFNAME
// (default eth0), CNI_ARGS (K=V;...), CAP_ARGS (JSON capability args), CNI_CACHE_DIR (result
// cache), CNI_CONTAINERID (default: derived from the netns path, as cnitool does).
package main

import (
	"context"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/containernetworking/cni/libcni"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "weftcnitool: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 3 {
		fail("usage: weftcnitool add|check|del|version <network-name|plugin-type> <netns-path>")
	}
	verb, name := os.Args[1], os.Args[2]
	paths := filepath.SplitList(os.Getenv("CNI_PATH"))
	cni := libcni.NewCNIConfigWithCacheDir(paths, os.Getenv("CNI_CACHE_DIR"), nil)
	ctx := context.Background()

	if verb == "version" {
		info, err := cni.GetVersionInfo(ctx, name)
		if err != nil {
			fail("%v", err)
		}
		out, _ := json.Marshal(map[string]interface{}{"supportedVersions": info.SupportedVersions()})
		fmt.Println(string(out))
		return
	}
	if len(os.Args) < 4 {
		fail("%s needs a netns path", verb)
	}
	netns, err := filepath.Abs(os.Args[3])
	if err != nil {
		fail("%v", err)
	}
	confDir := os.Getenv("NETCONFPATH")
	if confDir == "" {
		confDir = "/etc/cni/net.d"
	}
	list, err := libcni.LoadConfList(confDir, name)
	if err != nil {
		fail("loading network %s from %s: %v", name, confDir, err)
	}

	ifname := os.Getenv("CNI_IFNAME")
	if ifname == "" {
		ifname = "eth0"
	}
	id := os.Getenv("CNI_CONTAINERID")
	if id == "" {
		sum := sha512.Sum512([]byte(netns))
		id = fmt.Sprintf("cnitool-%x", sum[:10])
	}
	var args [][2]string
	if s := os.Getenv("CNI_ARGS"); s != "" {
		for _, pair := range strings.Split(s, ";") {
			kv := strings.SplitN(pair, "=", 2)
			if len(kv) != 2 {
				fail("CNI_ARGS entry %q is not KEY=VALUE", pair)
			}
			args = append(args, [2]string{kv[0], kv[1]})
		}
	}
	capArgs := map[string]interface{}{}
	if s := os.Getenv("CAP_ARGS"); s != "" {
		if err := json.Unmarshal([]byte(s), &capArgs); err != nil {
			fail("CAP_ARGS: %v", err)
		}
	}
	rt := &libcni.RuntimeConf{
		ContainerID:    id,
		NetNS:          netns,
		IfName:         ifname,
		Args:           args,
		CapabilityArgs: capArgs,
	}

	switch verb {
	case "add":
		result, err := cni.AddNetworkList(ctx, list, rt)
		if err != nil {
			fail("add: %v", err)
		}
		if err := result.Print(); err != nil {
			fail("printing the result: %v", err)
		}
	case "check":
		if err := cni.CheckNetworkList(ctx, list, rt); err != nil {
			fail("check: %v", err)
		}
	case "del":
		if err := cni.DelNetworkList(ctx, list, rt); err != nil {
			fail("del: %v", err)
		}
	default:
		fail("unknown verb %s", verb)
	}
}
