import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// `npm run dev` serves the UI on :5173 and forwards /api to a xiehui on :8080
// (override with XIEHUI_API=http://host:port). `npm run build` writes dist/, which
// xiehui serves itself.
export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: each <el-*> used in a template brings only its own JS and CSS,
    // so the login page does not load the table, dialog or date picker.
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: false,
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': process.env.XIEHUI_API || 'http://127.0.0.1:8080',
    },
  },
})
