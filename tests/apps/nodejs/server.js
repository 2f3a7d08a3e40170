// A plain node `http` server for tests/apps/nodejs/run: serves the files of
// a directory (argv: DIR PORT), streamed from disk, on 127.0.0.1 only.
// SIGTERM closes the listening socket and exits 0 once the open
// connections are done: the clean shutdown a supervisor asks for.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const root = path.resolve(process.argv[2]);
const port = Number(process.argv[3]);
const types = { '.html': 'text/html', '.bin': 'application/octet-stream' };

const server = http.createServer((req, res) => {
	const name = path.normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
	const file = path.join(root, name);
	if (!file.startsWith(root + path.sep)) {
		res.writeHead(403).end();
		return;
	}
	fs.stat(file, (err, st) => {
		if (err || !st.isFile()) {
			res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
			return;
		}
		res.writeHead(200, {
			'Content-Type': types[path.extname(file)] || 'application/octet-stream',
			'Content-Length': st.size,
		});
		fs.createReadStream(file).pipe(res);
	});
});

server.keepAliveTimeout = 1000;
server.listen(port, '127.0.0.1', () => console.error(`node: listening on 127.0.0.1:${port}`));
process.on('SIGTERM', () => {
	console.error('node: SIGTERM, closing');
	server.close(() => process.exit(0));
	server.closeIdleConnections();
});
