// Runs in: main (core) and CLI, as dist/echarts-ssr.cjs: ECharts in a bundle of its own beside
// main.cjs and cli.cjs, so that only a process that draws a chart parses its megabytes of code
// (scripts/build-node.mjs builds it; echarts-svg.ts loads it on the first chart).
export { init } from 'echarts';
