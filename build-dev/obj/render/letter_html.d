build-dev/obj/render/letter_html.o: src/render/letter_html.c \
 src/render/letter_html.h src/core/buf.h src/core/rc.h \
 src/render/letter.h
src/render/letter_html.h:
src/core/buf.h:
src/core/rc.h:
src/render/letter.h:
